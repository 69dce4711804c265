// Unit test of snn_rowgen: 4 banks of 3 rows, 2 sweeps with their own seeds; each slot's rows
// are (seed[sweep][bank] + k) mod 3, one clock later, and a new pass restarts at sweep 0.
`timescale 1ns / 1ps
module tb_snn_rowgen;
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg en = 1'b1;
    reg first = 1'b0, advance = 1'b0;
    wire [7:0] rows;
    snn_rowgen #(.Z(4), .D(3), .ROW_W(2), .SWEEPS(2), .SWEEP_W(1), .SEEDS("rowgen_seeds.mem")) dut (
        .clk(clk), .en(en), .first(first), .advance(advance), .rows(rows)
    );
    // Seeds (bank 3 .. bank 0): sweep 0 = 2, 0, 1, 0; sweep 1 = 1, 1, 2, 0.
    function [1:0] seed(input integer sweep, input integer bank);
        case (sweep * 4 + bank)
            0: seed = 0; 1: seed = 1; 2: seed = 0; 3: seed = 2;
            4: seed = 0; 5: seed = 2; 6: seed = 1; 7: seed = 1;
            default: seed = 0;
        endcase
    endfunction
    integer pass, slot, bank, errors;
    initial begin
        errors = 0;
        for (pass = 0; pass < 2; pass = pass + 1) begin
            for (slot = 0; slot < 6; slot = slot + 1) begin
                first = slot == 0;
                advance = 1'b1;
                @(negedge clk);
                for (bank = 0; bank < 4; bank = bank + 1)
                    if (rows[2*bank +: 2] !== (seed(slot / 3, bank) + slot % 3) % 3) begin
                        errors = errors + 1;
                        $display("FAIL pass %0d slot %0d bank %0d: row %0d", pass, slot, bank, rows[2*bank +: 2]);
                    end
            end
        end
        if (errors == 0) $display("PASS snn_rowgen");
        $finish;
    end
endmodule
