// Unit test of the memories: snn_ram (registered read, read before write, initial file,
// addresses past the end read zero, `en` holding the read while writes go on), snn_ram_lanes (a write enable per lane),
// snn_ram_2r (two registered reads of one store), snn_lutram (asynchronous read,
// read-modify-write in one clock; two read ports of one store) and snn_rom.
`timescale 1ns / 1ps
module tb_snn_memories;
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg en = 1'b1;
    reg we = 1'b0;
    reg [2:0] waddr = 3'd0, raddr = 3'd0;
    reg [11:0] wdata = 12'd0;
    wire [11:0] ram_q, rom_q;
    snn_ram #(.WIDTH(12), .DEPTH(5), .ADDR(3), .INIT("init_words.mem")) ram (
        .clk(clk), .en(en), .we(we), .waddr(waddr), .wdata(wdata), .raddr(raddr), .rdata(ram_q)
    );
    snn_rom #(.WIDTH(12), .DEPTH(5), .ADDR(3), .INIT("init_words.mem")) rom (
        .clk(clk), .en(en), .addr(raddr), .data(rom_q)
    );
    reg [2:0] lane_we = 3'd0;
    wire [11:0] lanes_q;
    snn_ram_lanes #(.LANES(3), .WIDTH(4), .DEPTH(5), .ADDR(3), .INIT("init_words.mem")) lanes (
        .clk(clk), .en(en), .we(lane_we), .waddr(waddr), .wdata(wdata), .raddr(raddr), .rdata(lanes_q)
    );
    reg [2:0] raddr_b = 3'd0;
    wire [11:0] two_a, two_b;
    snn_ram_2r #(.WIDTH(12), .DEPTH(5), .ADDR(3)) two (
        .clk(clk), .en(en), .we(we), .waddr(waddr), .wdata(wdata),
        .raddr_a(raddr), .rdata_a(two_a), .raddr_b(raddr_b), .rdata_b(two_b)
    );
    reg lut_we = 1'b0;
    wire [11:0] lut_q;
    snn_lutram #(.WIDTH(12), .DEPTH(5), .ADDR(3)) lut (
        .clk(clk), .en(en), .we(lut_we), .waddr(raddr), .wdata(lut_q + 12'd3), .raddr(raddr), .rdata(lut_q)
    );
    reg two_we = 1'b0;
    reg [2:0] two_waddr = 3'd0, two_raddr_a = 3'd0, two_raddr_b = 3'd0;
    reg [11:0] two_wdata = 12'd0;
    wire [11:0] lut2_a, lut2_b;
    snn_lutram #(.WIDTH(12), .DEPTH(5), .ADDR(3), .READS(2)) lut2 (
        .clk(clk), .en(en), .we(two_we), .waddr(two_waddr), .wdata(two_wdata),
        .raddr({two_raddr_b, two_raddr_a}), .rdata({lut2_b, lut2_a})
    );
    integer errors;
    task check(input [11:0] got, input [11:0] want, input [255:0] what);
        if (got !== want) begin
            errors = errors + 1;
            $display("FAIL %0s: got %h, want %h", what, got, want);
        end
    endtask
    initial begin
        errors = 0;
        // Initial contents, registered reads.
        raddr = 3'd1; @(negedge clk);
        check(ram_q, 12'h123, "ram init");
        check(rom_q, 12'h123, "rom init");
        check(lanes_q, 12'h123, "lanes init");
        // Past the end reads zero.
        raddr = 3'd6; @(negedge clk);
        check(ram_q, 12'h000, "ram past end");
        check(rom_q, 12'h000, "rom past end");
        // A write and a read of the same address in one clock read the old word.
        waddr = 3'd2; raddr = 3'd2; wdata = 12'habc; we = 1'b1; lane_we = 3'b101;
        @(negedge clk);
        we = 1'b0; lane_we = 3'b000;
        check(ram_q, 12'hfff, "read before write");
        @(negedge clk);
        check(ram_q, 12'habc, "written word");
        check(lanes_q, 12'hafc, "lanes 0 and 2 written, lane 1 kept");
        // Two reads of one store: address 2 holds abc, address 0 is still zero.
        raddr_b = 3'd0;
        @(negedge clk);
        check(two_a, 12'habc, "second-port RAM, read a");
        check(two_b, 12'h000, "second-port RAM, read b");
        // `en` low: the read register holds, a write still happens.
        en = 1'b0; we = 1'b1; wdata = 12'h555; raddr = 3'd0;
        @(negedge clk);
        check(ram_q, 12'habc, "read held while stalled");
        en = 1'b1; we = 1'b0; raddr = 3'd2;
        @(negedge clk);
        check(ram_q, 12'h555, "written while the reader was stalled");
        // LUT RAM: asynchronous read, +3 per clock while writing.
        raddr = 3'd4; #1;
        check(lut_q, 12'h000, "lutram starts at zero");
        lut_we = 1'b1;
        repeat (4) @(negedge clk);
        lut_we = 1'b0; #1;
        check(lut_q, 12'h00c, "four read-modify-writes");
        en = 1'b0; lut_we = 1'b1;
        @(negedge clk);
        check(lut_q, 12'h00c, "lutram write held while stalled");
        // LUT RAM with two read ports: each reads its own address of the one store.
        en = 1'b1; lut_we = 1'b0;
        two_we = 1'b1; two_waddr = 3'd1; two_wdata = 12'h7e1;
        @(negedge clk);
        two_waddr = 3'd4; two_wdata = 12'h4d4;
        @(negedge clk);
        two_we = 1'b0; two_raddr_a = 3'd1; two_raddr_b = 3'd4; #1;
        check(lut2_a, 12'h7e1, "two-read lutram, port 0");
        check(lut2_b, 12'h4d4, "two-read lutram, port 1");
        two_raddr_a = 3'd4; two_raddr_b = 3'd1; #1;
        check(lut2_a, 12'h4d4, "two-read lutram, port 0 at port 1's address");
        check(lut2_b, 12'h7e1, "two-read lutram, port 1 at port 0's address");
        two_raddr_b = 3'd6; #1;
        check(lut2_b, 12'h000, "two-read lutram, port 1 past the end");
        if (errors == 0) $display("PASS snn_memories");
        $finish;
    end
endmodule
