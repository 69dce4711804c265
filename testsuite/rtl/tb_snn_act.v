// Unit test of snn_act: ReLU and identity for every value of fixed<6, 3>, a sigmoid table of
// 16 entries over [-4, 4) (index (z + 32) >> 2), and one over [-2, 2) (index (z + 16) >> 1,
// clamped at both ends: the format reaches past the table), four clocks after the
// pre-activation (a new one every clock); `en` low holds the outputs.
`timescale 1ns / 1ps
module tb_snn_act;
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg en = 1'b1;
    reg signed [5:0] z = 6'sd0;
    wire signed [5:0] relu_v, relu_d, id_v, id_d, sig_v, sig_d;
    snn_act #(.W(6), .KIND(1), .ONE(8)) relu (.clk(clk), .en(en), .z(z), .value(relu_v), .derivative(relu_d));
    snn_act #(.W(6), .KIND(2), .ONE(8)) identity (.clk(clk), .en(en), .z(z), .value(id_v), .derivative(id_d));
    snn_act #(.W(6), .KIND(0), .ONE(8), .OFFSET(32), .IDX_SHIFT(2), .ENTRIES(16), .IDX_W(4), .TABLE("act_table.mem")) sigmoid (
        .clk(clk), .en(en), .z(z), .value(sig_v), .derivative(sig_d)
    );
    wire signed [5:0] narrow_v, narrow_d;
    snn_act #(.W(6), .KIND(0), .ONE(8), .OFFSET(16), .IDX_SHIFT(1), .ENTRIES(16), .IDX_W(4), .TABLE("act_table.mem")) narrow (
        .clk(clk), .en(en), .z(z), .value(narrow_v), .derivative(narrow_d)
    );
    integer v, index, errors;
    task check(input integer u);
        begin
            if (relu_v !== (u > 0 ? u : 0) || relu_d !== (u > 0 ? 8 : 0)) begin
                errors = errors + 1; $display("FAIL relu %0d: %0d %0d", u, relu_v, relu_d);
            end
            if (id_v !== u || id_d !== 8) begin
                errors = errors + 1; $display("FAIL identity %0d", u);
            end
            // The table holds {value = index, derivative = 15 - index}.
            index = (u + 32) / 4;
            if (sig_v !== index || sig_d !== 15 - index) begin
                errors = errors + 1; $display("FAIL sigmoid %0d: %0d %0d, want entry %0d", u, sig_v, sig_d, index);
            end
            // floor((z + 16) / 2), clamped to the table.
            index = u < -16 ? 0 : u > 15 ? 15 : (u + 16) / 2;
            if (narrow_v !== index || narrow_d !== 15 - index) begin
                errors = errors + 1; $display("FAIL narrow sigmoid %0d: %0d, want entry %0d", u, narrow_v, index);
            end
        end
    endtask
    initial begin
        errors = 0;
        // A new pre-activation every clock; each result comes out four clocks later.
        for (v = -32; v < 32 + 3; v = v + 1) begin
            z = v < 32 ? v : 0;
            @(negedge clk);
            if (v >= 3) check(v - 3);
        end
        // The last value (31) is out; a stall holds every stage.
        if (relu_v !== 31 || sig_v !== 15) begin errors = errors + 1; $display("FAIL last %0d", relu_v); end
        en = 1'b0;
        z = -6'sd5;
        repeat (3) @(negedge clk);
        if (relu_v !== 31 || sig_v !== 15) begin errors = errors + 1; $display("FAIL stall"); end
        if (errors == 0) $display("PASS snn_act");
        $finish;
    end
endmodule
